import sys

from unionstats.intake import sandbox

if sys.argv[1:2] and sys.argv[1] in ("check", "stats", "summary", "import"):
    sandbox.start()  # the fork server starts while the command line imports

from unionstats.cli.main import main  # noqa: E402

sys.exit(main())
