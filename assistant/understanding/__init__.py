"""What a message says: its language, the names of the fact base's entities in it (in Finnish word
forms too), as the NLU pipeline's own components."""
