import sys

from klachtdesk.cli import main

sys.exit(main())
