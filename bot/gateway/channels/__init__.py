"""Customer channels: the widget today, Telegram/WhatsApp/Messenger later, all behind `Channel`."""
