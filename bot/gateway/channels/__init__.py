"""Customer channels behind `Channel`: the widget, and the messaging apps (Telegram, WhatsApp, Messenger)
that share `MessagingChannel`; `registry.enabled_channels(settings)` says which are on."""
