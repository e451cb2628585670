"""Views render a Design; they never call an agent."""
