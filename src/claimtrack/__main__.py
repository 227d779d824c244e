"""`python -m claimtrack`: the same as the `claimtrack` command."""

from claimtrack.cli.app import main

if __name__ == "__main__":
    main()
