; Inno Setup 6 script: the Windows installer of desktop-llm (installer/README.md, "Windows").
; Not run here: written for the hosted CI's Windows runner (.github/workflows/build.yml).
;
; It packs the PyInstaller one-folder bundle (installer/desktop-llm.spec, built on Windows)
; as it is. From the repository root, after PyInstaller:
;
;   iscc /DAppVersion=0.1.0 installer\windows\desktop-llm.iss
;     -> dist\desktop-llm-0.1.0-windows-x86_64-setup.exe
;
; Defines (/DName=value): AppVersion (required: desktop_llm.__version__), BundleDir (the
; bundle; default build\pyinstaller\dist\desktop-llm, where the workflow puts it),
; SetupIcon (the setup's own icon, an .ico: the workflow renders it with
; installer/render_platform_icons.py), ChineseSimplifiedIsl (see [Languages]).

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=<desktop_llm.__version__> desktop-llm.iss
#endif
#ifndef BundleDir
  #define BundleDir AddBackslash(SourcePath) + "..\..\build\pyinstaller\dist\desktop-llm"
#endif
#ifndef ChineseSimplifiedIsl
  #define ChineseSimplifiedIsl AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl"
#endif

[Setup]
; The AppId identifies the app to Windows' uninstall list and to later installers (upgrades
; install over it): it must never change. The first brace is doubled (Inno's escape).
AppId={{803D0786-9D05-4C67-AEDC-315EF24B8BD6}
AppName=Desktop LLM
AppVersion={#AppVersion}
AppVerName=Desktop LLM {#AppVersion}
AppPublisher=The desktop-llm maintainers
VersionInfoVersion={#AppVersion}
VersionInfoProductName=Desktop LLM
; {autopf}: Program Files for all users, %LOCALAPPDATA%\Programs for the current user only.
DefaultDirName={autopf}\Desktop LLM
DefaultGroupName=Desktop LLM
DisableProgramGroupPage=yes
; Administrator install by default; the first page offers "only for me" (no elevation).
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog
; The bundle is x86-64 only (Python, Qt and llama.cpp built for x64).
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
WizardStyle=modern
#ifdef SetupIcon
SetupIconFile={#SetupIcon}
#endif
UninstallDisplayIcon={app}\desktop-llm.exe
UninstallDisplayName=Desktop LLM
OutputDir={#AddBackslash(SourcePath)}..\..\dist
OutputBaseFilename=desktop-llm-{#AppVersion}-windows-x86_64-setup
Compression=lzma2/max
SolidCompression=yes
; Code signing (not done: it needs an Authenticode code-signing certificate, OV or EV, on a
; token or in a cloud signing service such as Azure Trusted Signing). With one, define a
; sign tool named "signtool" on the command line and uncomment the two lines below; Inno
; then signs the uninstaller and the setup executable ($f: the file to sign):
;   iscc "/Ssigntool=signtool.exe sign /fd sha256 /tr http://timestamp.digicert.com /td sha256 /f cert.pfx /p PASSWORD $f" ...
; The bundle's desktop-llm.exe and DLLs are signed before this script runs (README).
;SignTool=signtool
;SignedUninstaller=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
; Chinese (Simplified) is an unofficial translation: Inno Setup does not install it (it is in
; the issrc repository's Files\Languages\Unofficial). The installer offers it when the file
; is found: in the compiler's Languages folder or at /DChineseSimplifiedIsl=<path>.
#if FileExists(ChineseSimplifiedIsl)
Name: "chinesesimplified"; MessagesFile: "{#ChineseSimplifiedIsl}"
#else
  #pragma message "ChineseSimplified.isl not found: the installer is in English only"
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole one-folder bundle: desktop-llm.exe and _internal\ (Python, Qt, llama.cpp, the
; starter model, resources, migrations).
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Desktop LLM"; Filename: "{app}\desktop-llm.exe"
Name: "{autodesktop}\Desktop LLM"; Filename: "{app}\desktop-llm.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\desktop-llm.exe"; Description: "{cm:LaunchProgram,Desktop LLM}"; Flags: nowait postinstall skipifsilent

; The uninstaller removes what it installed. The user's data (the database, downloaded
; models, logs: platformdirs' folders under %LOCALAPPDATA%\desktop-llm) is left in place.
