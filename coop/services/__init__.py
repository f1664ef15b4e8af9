"""Domain services: one module per area; each takes an Actor and returns ids or dataclasses."""
