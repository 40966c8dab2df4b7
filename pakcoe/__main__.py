"""Entry point for `python -m pakcoe`."""

from pakcoe.cli import main

raise SystemExit(main())
