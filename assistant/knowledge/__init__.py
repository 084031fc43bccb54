"""The fact base: its records and checks, the file or the editor's newest publication it is read from,
and an editor's draft under preview."""
