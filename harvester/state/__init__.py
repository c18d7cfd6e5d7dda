"""The state store: what earlier runs saw, so a run can fetch only what is new or due."""
