/* placeholder: the widget is written against bot/gateway/PROTOCOL.md */
