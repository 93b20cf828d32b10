"""The operator console (/operator): inbox of misunderstood messages, content, retraining, deploys, analytics."""
