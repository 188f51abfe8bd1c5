# Replaces pyinstaller-hooks-contrib's hook-thinc.py: the same, without thinc's test suite.
from PyInstaller.utils.hooks import collect_data_files, collect_submodules

datas = collect_data_files("thinc", excludes=["**/tests/**", "**/*.pyx", "**/*.pxd", "**/*.pyi", "**/*.cpp", "**/*.h"])
hiddenimports = collect_submodules("thinc", filter=lambda name: ".tests" not in name)
