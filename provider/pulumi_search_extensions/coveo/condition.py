"""A parser for Coveo's indexing pipeline extension condition syntax, with precise error positions.

The syntax (Coveo's "Indexing Pipeline Extension Condition Syntax Reference", docs.coveo.com/en/64):

    condition  := or_expr                         (an empty condition applies the extension to every item)
    or_expr    := and_expr ( OR and_expr )*
    and_expr   := not_expr ( AND not_expr )*      (priority: NOT > AND > OR)
    not_expr   := NOT not_expr | primary
    primary    := "(" or_expr ")" | metadata [ "==" ( value | list ) ]
    metadata   := "%[" name "]"                   (`\\` escapes a special character in the name: `%[a\\[b\\]]`)
    value      := "'...'" | '"..."'               (both quote styles, mixable; `\\` escapes inside)
    list       := "[" value ( "," value )* "]"

Operators are case-insensitive. The service's documented pitfalls are reported with the way out: comparing
two metadata, an operator between values (`%[a] == 'x' OR 'y'`), `!=`.

`parse_condition` returns a small syntax tree; `ConditionSyntaxError` says what is wrong, where (line and
column), and shows the condition with a caret under the offending column.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "And",
    "Condition",
    "ConditionSyntaxError",
    "Equals",
    "Exists",
    "Not",
    "Or",
    "parse_condition",
]

KEYWORDS = ("AND", "OR", "NOT")
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")
_MISUSED_SYMBOLS = {
    "!=": "'!=' is not supported; write NOT %[meta] == 'value'",
    "&&": "'&&' is not an operator; write AND",
    "||": "'||' is not an operator; write OR",
    "!": "'!' is not an operator; write NOT",
    "&": "'&' is not an operator; write AND",
    "|": "'|' is not an operator; write OR",
    "=": "a single '=' is not an operator; compare with '=='",
}


class ConditionSyntaxError(ValueError):
    """A condition that Coveo would not accept.

    Attributes:
        condition: the whole condition text.
        position: 0-based offset of the offending character (`len(condition)` when the text ends too early).
        reason: what is wrong and how to write it instead.
        line, column: 1-based line and column of `position`.
    """

    def __init__(self, condition: str, position: int, reason: str) -> None:
        self.condition = condition
        self.position = position
        self.reason = reason
        before = condition[:position]
        self.line = before.count("\n") + 1
        self.column = position - (before.rfind("\n") + 1) + 1
        super().__init__(self.describe())

    def describe(self, indent: str = "    ") -> str:
        """The reason, the line and column, and the condition's line with a caret under the offending column."""
        where = f"column {self.column}" if "\n" not in self.condition else f"line {self.line}, column {self.column}"
        text_line = self.condition.split("\n")[self.line - 1]
        # Tabs keep their width on the caret line, so the caret lands under the right character.
        padding = "".join("\t" if char == "\t" else " " for char in text_line[: self.column - 1])
        return f"{self.reason} (at {where}):\n{indent}{text_line}\n{indent}{padding}^"


# -- the syntax tree -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exists:
    """`%[name]`: true when the item has the metadata."""

    name: str


@dataclass(frozen=True)
class Equals:
    """`%[name] == 'value'` or `%[name] == ['a', 'b']` (a list matches those values, in any order)."""

    name: str
    values: tuple[str, ...]
    is_list: bool = False


@dataclass(frozen=True)
class Not:
    """`NOT operand`."""

    operand: Condition


@dataclass(frozen=True)
class And:
    """`a AND b AND ...`."""

    operands: tuple[Condition, ...]


@dataclass(frozen=True)
class Or:
    """`a OR b OR ...`."""

    operands: tuple[Condition, ...]


Condition = Exists | Equals | Not | And | Or


# -- tokens ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: str  # "metadata", "value", "(", ")", "[", "]", ",", "==", "AND", "OR", "NOT", "end"
    text: str  # the metadata name or value, unescaped; the keyword as written
    position: int


def _metadata(condition: str, start: int) -> tuple[_Token, int]:
    """Reads `%[name]` starting at the `%`; returns the token and the offset after it."""
    if condition[start + 1 : start + 2] != "[":
        raise ConditionSyntaxError(condition, start, "'%' must start a metadata name written %[name]")
    name: list[str] = []
    index = start + 2
    while index < len(condition):
        char = condition[index]
        if char == "\\":
            if index + 1 >= len(condition):
                raise ConditionSyntaxError(condition, index, "'\\' at the end escapes nothing")
            name.append(condition[index + 1])
            index += 2
            continue
        if char == "]":
            if not name:
                raise ConditionSyntaxError(condition, start, "empty metadata name: write %[name]")
            return _Token("metadata", "".join(name), start), index + 1
        if char == "[":
            raise ConditionSyntaxError(
                condition, index, "'[' inside a metadata name must be escaped as '\\[' (and ']' as '\\]')"
            )
        name.append(char)
        index += 1
    raise ConditionSyntaxError(condition, start, "metadata name is not closed: add ']'")


def _value(condition: str, start: int) -> tuple[_Token, int]:
    """Reads a quoted value starting at its quote; returns the token and the offset after it."""
    quote = condition[start]
    text: list[str] = []
    index = start + 1
    while index < len(condition):
        char = condition[index]
        if char == "\\" and index + 1 < len(condition):
            text.append(condition[index + 1])
            index += 2
            continue
        if char == quote:
            return _Token("value", "".join(text), start), index + 1
        text.append(char)
        index += 1
    raise ConditionSyntaxError(condition, start, f"value is not closed: add the closing {quote}")


def _tokens(condition: str) -> list[_Token]:
    tokens: list[_Token] = []
    index = 0
    while index < len(condition):
        char = condition[index]
        if char.isspace():
            index += 1
        elif char == "%":
            token, index = _metadata(condition, index)
            tokens.append(token)
        elif char in "'\"":
            token, index = _value(condition, index)
            tokens.append(token)
        elif condition.startswith("==", index):
            tokens.append(_Token("==", "==", index))
            index += 2
        elif char in "()[],":
            tokens.append(_Token(char, char, index))
            index += 1
        elif char in _WORD_CHARS:
            end = index
            while end < len(condition) and condition[end] in _WORD_CHARS:
                end += 1
            word = condition[index:end]
            if word.upper() not in KEYWORDS:
                raise ConditionSyntaxError(
                    condition,
                    index,
                    f"unexpected word {word!r}: quote values ('{word}'), write metadata as %[{word}], "
                    f"and use only the operators ==, NOT, AND, OR",
                )
            tokens.append(_Token(word.upper(), word, index))
            index = end
        else:
            symbol = next((s for s in _MISUSED_SYMBOLS if condition.startswith(s, index)), None)
            reason = _MISUSED_SYMBOLS[symbol] if symbol else f"unexpected character {char!r}"
            raise ConditionSyntaxError(condition, index, reason)
    tokens.append(_Token("end", "", len(condition)))
    return tokens


# -- the parser ------------------------------------------------------------------------------------------


class _Parser:
    """Recursive descent over the tokens, one method per grammar rule."""

    def __init__(self, condition: str) -> None:
        self.condition = condition
        self.tokens = _tokens(condition)
        self.index = 0

    @property
    def current(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def fail(self, reason: str, token: _Token | None = None) -> ConditionSyntaxError:
        return ConditionSyntaxError(self.condition, (token or self.current).position, reason)

    def parse(self) -> Condition:
        condition = self.or_expr()
        if self.current.kind != "end":
            raise self.unexpected_after_condition()
        return condition

    def unexpected_after_condition(self) -> ConditionSyntaxError:
        token = self.current
        if token.kind == "value":
            return self.fail(
                "a value can only follow '%[meta] =='; to accept several values write "
                "%[meta] == 'a' OR %[meta] == 'b', or %[meta] == ['a', 'b']"
            )
        if token.kind == "==":
            return self.fail("'==' must follow a metadata, as in %[meta] == 'value'")
        if token.kind == ")":
            return self.fail("')' closes no '('")
        return self.fail("expected AND, OR or the end of the condition")

    def or_expr(self) -> Condition:
        operands = [self.and_expr()]
        while self.current.kind == "OR":
            self.advance()
            operands.append(self.and_expr())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def and_expr(self) -> Condition:
        operands = [self.not_expr()]
        while self.current.kind == "AND":
            self.advance()
            operands.append(self.not_expr())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def not_expr(self) -> Condition:
        if self.current.kind == "NOT":
            self.advance()
            return Not(self.not_expr())
        return self.primary()

    def primary(self) -> Condition:
        token = self.current
        if token.kind == "(":
            self.advance()
            inner = self.or_expr()
            if self.current.kind != ")":
                if self.current.kind == "end":
                    raise self.fail("this '(' is not closed: add ')'", token)
                raise self.unexpected_inside_parentheses(token)
            self.advance()
            return inner
        if token.kind == "metadata":
            self.advance()
            if self.current.kind != "==":
                return Exists(token.text)
            self.advance()
            return self.comparison(token.text)
        raise self.fail(self._expected_condition(token))

    def unexpected_inside_parentheses(self, opening: _Token) -> ConditionSyntaxError:
        error = self.unexpected_after_condition()
        if error.reason == "expected AND, OR or the end of the condition":
            return self.fail(f"expected AND, OR or ')' to close the '(' at column {self._column(opening)}")
        return error

    def comparison(self, name: str) -> Equals:
        token = self.current
        if token.kind == "value":
            self.advance()
            return Equals(name, (token.text,))
        if token.kind == "[":
            return Equals(name, self.value_list(), is_list=True)
        if token.kind == "metadata":
            raise self.fail(
                "a metadata cannot be compared with another metadata; write %[a] == 'value' AND %[b] == 'value'"
            )
        if token.kind == "(":
            raise self.fail("a list of values is written in square brackets: %[meta] == ['a', 'b']")
        if token.kind == "end":
            raise self.fail("expected a quoted value after '==' ('value' or \"value\")")
        raise self.fail("expected a quoted value ('value' or \"value\") or a list ['a', 'b'] after '=='")

    def value_list(self) -> tuple[str, ...]:
        opening = self.advance()
        values: list[str] = []
        while True:
            token = self.current
            if token.kind == "]" and not values:
                raise self.fail("empty list: give at least one quoted value, as in ['a', 'b']")
            if token.kind == "]":
                raise self.fail("expected a quoted value after ',' (remove the trailing comma)")
            if token.kind == "end":
                raise self.fail("this '[' is not closed: add ']'", opening)
            if token.kind != "value":
                raise self.fail("a list holds only quoted values: ['a', 'b']")
            values.append(self.advance().text)
            if self.current.kind == "]":
                self.advance()
                return tuple(values)
            if self.current.kind != ",":
                if self.current.kind == "end":
                    raise self.fail("this '[' is not closed: add ']'", opening)
                raise self.fail("expected ',' or ']' in the list of values")
            self.advance()

    def _expected_condition(self, token: _Token) -> str:
        if token.kind == "end":
            previous = self.tokens[self.index - 1] if self.index else None
            after = f" after {previous.text}" if previous is not None and previous.kind in KEYWORDS else ""
            return f"the condition ends too early{after}: expected %[metadata], NOT or '('"
        if token.kind == "value":
            return (
                "a value can only follow '%[meta] =='; to accept several values write "
                "%[meta] == 'a' OR %[meta] == 'b', or %[meta] == ['a', 'b']"
            )
        if token.kind in ("AND", "OR"):
            return f"{token.kind} needs a condition on each side, as in %[a] {token.kind} %[b]"
        if token.kind == "==":
            return "'==' must follow a metadata, as in %[meta] == 'value'"
        if token.kind == ")":
            return "empty parentheses or ')' closing no '(': expected %[metadata], NOT or '('"
        return f"unexpected {token.text!r}: expected %[metadata], NOT or '('"

    def _column(self, token: _Token) -> int:
        return token.position - (self.condition.rfind("\n", 0, token.position) + 1) + 1


def parse_condition(condition: str) -> Condition | None:
    """Parses a condition; None for an empty (or blank) one, which applies the extension to every item.

    Raises `ConditionSyntaxError` at the first problem, pointing at its position.
    """
    if not condition.strip():
        return None
    return _Parser(condition).parse()
