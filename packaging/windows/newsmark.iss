; Inno Setup 6 script: dist\Newsmark (the PyInstaller onedir bundle) -> an installer .exe.
;
;   pyinstaller --noconfirm build.spec
;   iscc /DAppVersion=0.1.0 packaging\windows\newsmark.iss
;
; Output: dist\newsmark-<version>-windows-x64-setup.exe. Built by .github/workflows/
; installers.yml on windows-latest; it cannot be built on Linux (PyInstaller does not
; cross-compile). The bundle has two executables sharing _internal: Newsmark.exe (windowed,
; what the shortcuts start) and newsmark-cli.exe (console: newsmark-cli --version, import,
; export, train, suggest ...).

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define Bundle "..\..\dist\Newsmark"

[Setup]
AppId={{6F1E8E3B-3C55-4B8E-9A51-5B1D2F0A7C41}
AppName=Newsmark
AppVersion={#AppVersion}
AppPublisher=Newsmark developers
AppComments=Offline annotation of named entities and reported claims in news articles
DefaultDirName={autopf}\Newsmark
DefaultGroupName=Newsmark
DisableProgramGroupPage=yes
; Per-user install without admin rights is offered; all users with admin rights.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=newsmark-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\resources\icons\newsmark.ico
UninstallDisplayIcon={app}\Newsmark.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ChangesAssociations=yes
ChangesEnvironment=yes

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "association"; Description: "Open .nmk project files with Newsmark"; GroupDescription: "Other:"
Name: "addtopath"; Description: "Add newsmark-cli to PATH (command line)"; GroupDescription: "Other:"; Flags: unchecked

[Files]
; The whole bundle: the two executables and _internal with everything below it.
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Newsmark"; Filename: "{app}\Newsmark.exe"
Name: "{autodesktop}\Newsmark"; Filename: "{app}\Newsmark.exe"; Tasks: desktopicon

[Registry]
Root: HKA; Subkey: "Software\Classes\.nmk"; ValueType: string; ValueName: ""; ValueData: "Newsmark.Project"; Flags: uninsdeletevalue; Tasks: association
Root: HKA; Subkey: "Software\Classes\Newsmark.Project"; ValueType: string; ValueName: ""; ValueData: "Newsmark project"; Flags: uninsdeletekey; Tasks: association
Root: HKA; Subkey: "Software\Classes\Newsmark.Project\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\Newsmark.exe,0"; Tasks: association
Root: HKA; Subkey: "Software\Classes\Newsmark.Project\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\Newsmark.exe"" open ""%1"""; Tasks: association
Root: HKCU; Subkey: "Environment"; ValueType: expandsz; ValueName: "Path"; ValueData: "{olddata};{app}"; Check: NeedsAddPath(ExpandConstant('{app}')); Tasks: addtopath

[Run]
Filename: "{app}\Newsmark.exe"; Description: "{cm:LaunchProgram,Newsmark}"; Flags: nowait postinstall skipifsilent

[Code]
function NeedsAddPath(Dir: string): Boolean;
var
  Path: string;
begin
  if not RegQueryStringValue(HKEY_CURRENT_USER, 'Environment', 'Path', Path) then
  begin
    Result := True;
    exit;
  end;
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Path) + ';') = 0;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Path: string;
begin
  { Take back what the addtopath task added. }
  if (CurUninstallStep = usPostUninstall) and
     RegQueryStringValue(HKEY_CURRENT_USER, 'Environment', 'Path', Path) then
  begin
    if StringChangeEx(Path, ';' + ExpandConstant('{app}'), '', True) > 0 then
      RegWriteExpandStringValue(HKEY_CURRENT_USER, 'Environment', 'Path', Path);
  end;
end;
