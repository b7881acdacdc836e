# Build FireCase for Windows: the PyInstaller bundle, its self-check, then the installer.
# Run from a "Developer PowerShell" with Python 3.11+ and Inno Setup 6 (iscc on PATH).
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")
python -m venv .venv
.\.venv\Scripts\pip install -e . "pyinstaller>=6"
.\.venv\Scripts\python -m PyInstaller --noconfirm --clean --distpath dist --workpath build\pyinstaller packaging\firecase.spec
.\dist\firecase\firecase.exe selfcheck
if ($LASTEXITCODE -ne 0) { throw "self-check failed" }
$version = (.\.venv\Scripts\python -c "import firecase; print(firecase.__version__)").Trim()
iscc /DAppVersion=$version packaging\windows\firecase.iss
