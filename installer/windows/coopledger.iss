; CoopLedger Windows installer (Inno Setup 6). Build steps: README.md, section "Installing" > "Windows".
; Installs the PyInstaller bundle (dist\coopledger, built by "pyinstaller installer\coopledger.spec") per user
; without administrator rights (or for all users if chosen), with a start-menu entry and an optional desktop
; icon. Each user's data lives in %LOCALAPPDATA%\CoopLedger\CoopLedger and is NOT removed on uninstall:
; this script has no [UninstallDelete] section, so the uninstaller deletes only the files it installed.

#define AppName "CoopLedger"
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
; The AppId identifies the program for upgrades and uninstall: never change it.
AppId={{5A726B4F-AECC-4ECF-A266-21D83908523C}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=CoopLedger developers
AppComments=Books, traceability and tax filings for artisanal mining cooperatives
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=coopledger-{#AppVersion}-windows-x64-setup
SetupIconFile=..\icons\coopledger.ico
UninstallDisplayIcon={app}\coopledger.exe
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "french"; MessagesFile: "compiler:Languages\French.isl"
Name: "spanish"; MessagesFile: "compiler:Languages\Spanish.isl"
Name: "portuguese"; MessagesFile: "compiler:Languages\Portuguese.isl"
Name: "brazilianportuguese"; MessagesFile: "compiler:Languages\BrazilianPortuguese.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\coopledger\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\coopledger.exe"; IconFilename: "{app}\coopledger.exe"; AppUserModelID: "CoopLedger.CoopLedger"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\coopledger.exe"; IconFilename: "{app}\coopledger.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\coopledger.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
