"""setuptools hook: `pip install .` compiles the gettext catalogues (locales/*/LC_MESSAGES/*.po -> .mo) first."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


def compile_catalogues() -> None:
    """Same result as `pybabel compile -d locales -D coop --use-fuzzy` (make compile)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in sorted(ROOT.glob("locales/*/LC_MESSAGES/*.po")):
        with po.open("rb") as src:
            catalog = read_po(src, locale=po.parent.parent.name)
        with po.with_suffix(".mo").open("wb") as out:
            write_mo(out, catalog, use_fuzzy=True)


class BuildWithCatalogues(build_py):
    def finalize_options(self) -> None:
        compile_catalogues()  # before package data is listed, so the .mo files are installed
        super().finalize_options()


if __name__ == "__main__":  # setuptools' build backend runs this file as __main__
    setup(cmdclass={"build_py": BuildWithCatalogues})
