"""The frozen build's entry point (installer/desktop-llm.spec): `desktop-llm`.

freeze_support() comes before anything else is imported: the inference worker is started
with multiprocessing's *spawn*, which in a frozen build runs this executable again with
multiprocessing's own arguments. PyInstaller's runtime hook makes freeze_support() take
those over on every platform (the standard library's does so only on Windows), so the
child runs the worker instead of the command line, without importing the CLI, SQLAlchemy
or Qt first. desktop_llm.cli.main() calls it again; a second call is harmless.
"""

import multiprocessing

if __name__ == "__main__":
    multiprocessing.freeze_support()

    from desktop_llm.cli import main

    raise SystemExit(main())
