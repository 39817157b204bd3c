"""The flow router's filter: a draft waiting for its text also gets photos and documents
whose caption is the text (the /broadcast attachment), but no commands, edits or groups."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import Chat, Document, Message, MessageEntity, PhotoSize, Update, User
from telegram.ext import Application, MessageHandler

from handlers import flows

ME = User(7, "Ana", is_bot=False)
PRIVATE = Chat(7, Chat.PRIVATE)


def router(callback: object = flows.route_message) -> MessageHandler:  # type: ignore[type-arg]
    application = Application.builder().token("123:TEST").build()
    flows.register(application)
    (handler,) = [h for h in application.handlers[flows.FLOW_GROUP] if h.callback is callback]
    assert isinstance(handler, MessageHandler)
    return handler


def message(chat: Chat = PRIVATE, **fields: object) -> Message:
    return Message(1, datetime.now(UTC), chat, from_user=ME, **fields)  # type: ignore[arg-type]


def test_attachments_with_captions_reach_the_flows() -> None:
    route = router()
    photo = message(photo=(PhotoSize("p1", "u1", 90, 90),), caption="<b>Hola</b>")
    document = message(document=Document("d1", "u2", file_name="a.pdf"), caption="Programa")
    bare = message(document=Document("d2", "u3", file_name="b.pdf"))
    for item in (photo, document, bare, message(text="plain text")):
        assert route.check_update(Update(1, message=item))


def test_commands_edits_and_groups_do_not() -> None:
    route = router()
    command = message(text="/cancel", entities=(MessageEntity(MessageEntity.BOT_COMMAND, 0, 7),))
    group = message(chat=Chat(-100, Chat.SUPERGROUP), text="hola")
    assert not route.check_update(Update(1, message=command))
    assert not route.check_update(Update(2, message=group))
    assert not route.check_update(Update(3, edited_message=message(text="edited")))


def test_only_private_commands_reach_the_pausing_of_flows() -> None:
    """Another command pauses a survey (flows.pause_flows); text, edits and groups do not."""
    pause = router(flows.pause_flows)
    entity = (MessageEntity(MessageEntity.BOT_COMMAND, 0, 7),)
    assert pause.check_update(Update(1, message=message(text="/events", entities=entity)))
    group = message(chat=Chat(-100, Chat.SUPERGROUP), text="/events", entities=entity)
    assert not pause.check_update(Update(2, message=group))
    assert not pause.check_update(Update(3, message=message(text="hola")))
    edited = message(text="/events", entities=entity)
    assert not pause.check_update(Update(4, edited_message=edited))
