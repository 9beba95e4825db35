"""HR training: assignments, completion reports and charts, exports, reminders, scores."""
