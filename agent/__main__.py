"""`python -m agent` is the `khabar` command."""

from agent.cli.main import main

if __name__ == "__main__":
    main()
