; Inno Setup script for FireCase on Windows (see BUILDING.md beside this file).
; The version comes from firecase/__init__.py, passed in by build.ps1 as /DAppVersion=...
#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=x.y.z firecase.iss (build.ps1 does this)
#endif

[Setup]
AppId={{6B1D7F2E-3C4A-4E8B-9A51-0F2C5D8E7A13}
AppName=FireCase 火灾事故调查处理
AppVersion={#AppVersion}
AppPublisher=FireCase
DefaultDirName={autopf}\FireCase
DefaultGroupName=FireCase
OutputDir=..\..\dist
OutputBaseFilename=FireCase-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\firecase.ico
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesInstallIn64BitMode=x64compatible

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "..\..\dist\firecase\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\FireCase 火灾事故调查处理"; Filename: "{app}\firecase.exe"
Name: "{autodesktop}\FireCase 火灾事故调查处理"; Filename: "{app}\firecase.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\firecase.exe"; Description: "{cm:LaunchProgram,FireCase}"; Flags: nowait postinstall skipifsilent
