; Inno Setup 6 script: per-user installer for the one-folder PyInstaller build.
;
;   python installer\build.py --inno        (builds dist\desktop-app, smoke-tests it, then runs ISCC)
;   "%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 installer\desktop-app.iss
;
; Installs into %LOCALAPPDATA%\Programs\desktop-app without admin rights (PrivilegesRequired=lowest),
; with Start-menu and desktop shortcuts. The user's data folder (%LOCALAPPDATA%\desktop-app: the
; database and backups\) is not created, touched or removed by this installer: uninstalling
; removes the program only, and the data stays for the next install or for moving to a new PC.
; Saved as UTF-8 with BOM so the Chinese names survive.

#define AppName "學習歷程檔案 教務處作業系統"
#define AppShortName "desktop-app"
#define AppExe "desktop-app.exe"
#ifndef SourceDir
  #define SourceDir AddBackslash(SourcePath) + "..\dist\desktop-app"
#endif
#ifndef AppVersion
  ; the version the PyInstaller spec wrote into the exe's file properties
  #define AppVersion GetVersionNumbersString(AddBackslash(SourceDir) + AppExe)
#endif
#ifndef OutputDir
  #define OutputDir AddBackslash(SourcePath) + "..\dist\installer"
#endif

[Setup]
AppId={{18FC2B3D-D0A9-465D-AE91-48C85B9165E6}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
VersionInfoVersion={#AppVersion}
; per-user install: no UAC prompt, {autopf} = %LOCALAPPDATA%\Programs
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppShortName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
OutputDir={#OutputDir}
OutputBaseFilename={#AppShortName}-setup-{#AppVersion}
SetupIconFile=..\resources\icons\app.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; an open copy of the program is closed before its files are replaced
CloseApplications=yes
ShowLanguageDialog=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseTraditional.isl")
; the Traditional Chinese translation is user-contributed: put ChineseTraditional.isl (from
; https://jrsoftware.org/files/istrans/) into Inno Setup's Languages folder to get a Chinese wizard
Name: "chinesetraditional"; MessagesFile: "compiler:Languages\ChineseTraditional.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; an upgrade replaces the whole bundle: files of the previous version must not linger
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{group}\使用說明"; Filename: "{app}\_internal\resources\guide\使用說明.html"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#StringChange(AppName, '&', '&&')}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; only the program folder (with caches Python may have written there). The data folder
; {localappdata}\desktop-app (database, backups\) is deliberately NOT listed: it is kept.
Type: filesandordirs; Name: "{app}\_internal"
