"""The aiohttp gateway: owns conversations between customers, the Rasa bot and human agents.

`create_app(settings)` (in `app.py`) builds the web application; `python -m bot.gateway` runs it.
This package never imports Rasa: it reaches the bot over HTTP only.
"""
