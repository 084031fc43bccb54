"""The fact base: its records and checks, the file or the editor's newest publication it is read from,
and an editor's draft under preview."""

import yaml

# libyaml's parser where PyYAML was built with it: the pure-Python one takes most of the time of
# reading the fact base, which the assistant does again at every edit and the editor at every publication.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
