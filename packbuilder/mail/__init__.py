"""Email: the returns out to officers, their replies in, reminders and feedback."""
