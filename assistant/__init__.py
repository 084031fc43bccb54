"""The assistant, by stage: a resident's message comes in through channel/, is understood by
understanding/, answered by answering/ from the facts of knowledge/, and the conversation is kept by
storage/. actions/ holds the one custom action that joins them."""

from pathlib import Path

# The checkout: the fact base, domain.yml and var/ are found from it.
ROOT = Path(__file__).resolve().parent.parent
