"""The use cases: each action of several steps is one function here, which the web route and
the CLI command both call, with a docstring that lists every effect (graph writes, mails,
audit entries, notices). Routes and commands only parse their input, call the action and show
its outcome; graph/ holds the statements and the rules, and each write is one statement."""
