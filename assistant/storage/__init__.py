"""What is kept, and for how long: conversations (tracker and lock stores), the unanswered questions
and ratings, their retention and their erasure on request."""
