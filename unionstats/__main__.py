import sys

from unionstats.cli.main import main

sys.exit(main())
