"""``python -m policy_nlp`` runs the command line."""

import sys

from policy_nlp.cli import main

sys.exit(main())
