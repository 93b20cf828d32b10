"""Which customer channels this gateway serves: the widget always, a messaging app when all of its
credentials are set (a half-configured one is refused by `Settings.check`)."""

from __future__ import annotations

from bot.gateway.channels.base import Channel
from bot.gateway.channels.messaging import MessagingChannel
from bot.gateway.channels.messenger import MessengerChannel
from bot.gateway.channels.telegram import TelegramChannel
from bot.gateway.channels.whatsapp import WhatsAppChannel
from bot.gateway.channels.widget import WidgetChannel
from bot.settings import Settings

MESSAGING_CHANNELS: dict[str, type[MessagingChannel]] = {
    "telegram": TelegramChannel,
    "whatsapp": WhatsAppChannel,
    "messenger": MessengerChannel,
}


def enabled_channels(settings: Settings) -> list[str]:
    """Names of the channels `create_app(settings)` mounts, e.g. `["widget", "telegram"]`."""
    credentials = settings.channel_credentials()
    return ["widget"] + [
        name for name in MESSAGING_CHANNELS if name in credentials and all(credentials[name].values())
    ]


def build_channels(settings: Settings) -> list[Channel]:
    channels: list[Channel] = [WidgetChannel(settings.max_message_characters)]
    channels.extend(MESSAGING_CHANNELS[name](settings) for name in enabled_channels(settings)[1:])
    return channels
