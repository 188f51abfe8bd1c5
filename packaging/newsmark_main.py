"""The frozen `Newsmark` executable's entry: the same `newsmark` command as ui.entry.

freeze_support() comes first: training runs in a spawned process and exports in forked,
fork-server or spawned workers; frozen, those children are this executable started again
with multiprocessing's arguments, and freeze_support() runs them and exits.
"""
import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from ui.entry import main
    sys.exit(main())
