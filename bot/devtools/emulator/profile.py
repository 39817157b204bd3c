"""The bot itself: getMe, its name and descriptions, its command menus and menu button."""

from __future__ import annotations

import json
from typing import Any

from bot.devtools.emulator.model import Attachment, bad_request
from bot.devtools.emulator.outgoing import check_web_app_url
from bot.devtools.emulator.state import EmulatorState

MENU_BUTTON_TYPES = frozenset({"commands", "web_app", "default"})


class ProfileMethods(EmulatorState):
    """getMe, logOut, close; set/get the name and descriptions; the command menus."""

    async def _api_getMe(self, params: dict[str, Any], _: dict[str, Attachment]) -> dict[str, Any]:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _api_logOut(self, params: dict[str, Any], _: dict[str, Attachment]) -> bool:
        return True

    async def _api_close(self, params: dict[str, Any], _: dict[str, Attachment]) -> bool:
        return True

    # ----------------------------------------------------------------- the bot's profile
    def _profile_language(self, params: dict[str, Any]) -> str:
        """``language_code``: a two-letter ISO 639-1 code, or empty for everybody else."""
        language = params.get("language_code") or ""
        if not isinstance(language, str) or not (
            language == "" or (len(language) == 2 and language.isalpha() and language.islower())
        ):
            raise bad_request("LANGUAGE_CODE_INVALID")
        return language

    def _set_profile(self, params: dict[str, Any], field: str, limit: int, error: str) -> bool:
        language = self._profile_language(params)
        value = params.get(field) or ""
        if not isinstance(value, str) or len(value) > limit:
            raise bad_request(error)
        if value:
            self.profile[(field, language)] = value
        else:  # an empty text removes the dedicated one
            self.profile.pop((field, language), None)
        return True

    def _get_profile(self, params: dict[str, Any], field: str) -> dict[str, str]:
        """What people of that language see: the dedicated text, else the default one."""
        language = self._profile_language(params)
        value = self.profile.get((field, language), self.profile.get((field, ""), ""))
        return {field: value}

    async def _api_setMyName(self, params: dict[str, Any], _: dict[str, Attachment]) -> bool:
        return self._set_profile(params, "name", 64, "BOT_TITLE_INVALID")

    async def _api_getMyName(
        self, params: dict[str, Any], _: dict[str, Attachment]
    ) -> dict[str, str]:
        return self._get_profile(params, "name")

    async def _api_setMyDescription(self, params: dict[str, Any], _: dict[str, Attachment]) -> bool:
        return self._set_profile(params, "description", 512, "BOT_DESCRIPTION_INVALID")

    async def _api_getMyDescription(
        self, params: dict[str, Any], _: dict[str, Attachment]
    ) -> dict[str, str]:
        return self._get_profile(params, "description")

    async def _api_setMyShortDescription(
        self, params: dict[str, Any], _: dict[str, Attachment]
    ) -> bool:
        return self._set_profile(params, "short_description", 120, "BOT_ABOUT_INVALID")

    async def _api_getMyShortDescription(
        self, params: dict[str, Any], _: dict[str, Attachment]
    ) -> dict[str, str]:
        return self._get_profile(params, "short_description")

    # ----------------------------------------------------------------- command menus
    def _command_key(self, params: dict[str, Any]) -> tuple[str, str]:
        """(scope as JSON, language): a chat scope must name a chat the bot knows."""
        scope = params.get("scope") or {"type": "default"}
        if not isinstance(scope, dict) or not isinstance(scope.get("type"), str):
            raise bad_request("can't parse BotCommandScope JSON object")
        if scope["type"] in ("chat", "chat_administrators", "chat_member"):
            chat_id = scope.get("chat_id")
            if not isinstance(chat_id, int) or chat_id not in self.chats:
                raise bad_request("chat not found")
        return json.dumps(scope, sort_keys=True), self._profile_language(params)

    async def _api_setMyCommands(self, params: dict[str, Any], _: dict[str, Attachment]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        for command in commands:
            name = str(command.get("command", ""))
            description = str(command.get("description", ""))
            if (
                not (1 <= len(name) <= 32)
                or not name.replace("_", "").isalnum()
                or name != name.lower()
            ):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        if len(commands) > 100:
            raise bad_request("too many commands")
        self.commands[self._command_key(params)] = commands
        return True

    async def _api_getMyCommands(
        self, params: dict[str, Any], _: dict[str, Attachment]
    ) -> list[Any]:
        return self.commands.get(self._command_key(params), [])

    async def _api_deleteMyCommands(self, params: dict[str, Any], _: dict[str, Attachment]) -> bool:
        self.commands.pop(self._command_key(params), None)
        return True

    def menu_of(self, chat_id: int, language: str) -> list[str] | None:
        """The command names a person in that private chat sees in the menu (Telegram's
        order: the chat's scope, then private chats, then default; a dedicated language
        before the scope's default one). None when no menu is set at all."""
        scopes = [{"type": "chat", "chat_id": chat_id}, {"type": "all_private_chats"}]
        scopes.append({"type": "default"})
        for scope in scopes:
            key = json.dumps(scope, sort_keys=True)
            for code in (language, ""):
                commands = self.commands.get((key, code))
                if commands is not None:
                    return [str(c.get("command")) for c in commands]
        return None

    async def _api_setChatMenuButton(
        self, params: dict[str, Any], _: dict[str, Attachment]
    ) -> bool:
        """Recorded per chat (or as the default); a web_app button needs a text and an
        https address, as Telegram checks."""
        button = params.get("menu_button") or {"type": "default"}
        if not isinstance(button, dict) or button.get("type") not in MENU_BUTTON_TYPES:
            raise bad_request("can't parse menu button JSON object")
        if button["type"] == "web_app":
            if not str(button.get("text") or "").strip():
                raise bad_request("menu button text must be non-empty")
            check_web_app_url(button.get("web_app"))
        chat_id = params.get("chat_id")
        self.menu_buttons[chat_id if isinstance(chat_id, int) else None] = button
        return True

    async def _api_getChatMenuButton(
        self, params: dict[str, Any], _: dict[str, Attachment]
    ) -> dict[str, Any]:
        chat_id = params.get("chat_id")
        key = chat_id if isinstance(chat_id, int) else None
        return self.menu_buttons.get(key) or self.menu_buttons.get(None) or {"type": "default"}
