# Replaces pyinstaller-hooks-contrib's hook-spacy.py: the same, without spaCy's test suite.
from PyInstaller.utils.hooks import collect_data_files, collect_submodules

datas = collect_data_files("spacy", excludes=["**/tests/**", "**/*.pyx", "**/*.pxd", "**/*.pyi", "**/*.cpp", "**/*.h"])
hiddenimports = collect_submodules("spacy", filter=lambda name: ".tests" not in name)
