"""Who may do what: the role policy, the `get_*_for_user` doors every view and command
goes through, and login throttling."""
