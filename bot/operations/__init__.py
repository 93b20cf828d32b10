"""Operators' tooling without Rasa or a web app: content edits with a change log, retraining jobs, the
per-language quality gate and the model registry (deploy to Rasa's `PUT /model`, rollback)."""
