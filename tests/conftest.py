"""Settings for the whole test suite."""

import os

from hypothesis import settings

# CI judges a change by the same property-test examples every time (a failure there reproduces, and an unrelated
# change cannot fail on an example drawn by chance); a developer's run keeps drawing new ones to find faults.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
