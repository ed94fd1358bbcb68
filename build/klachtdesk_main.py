"""The bundle's entry point: the same `klachtdesk` command as the pip-installed one."""

import sys

from klachtdesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
