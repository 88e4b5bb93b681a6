"""Long AND / OR chains as shallow trees.

sqlglot parses ``a OR b OR c ...`` into a left-deep tree: 1,000 ORs are a
tree 1,000 levels deep, which every recursive walk (the planner's, sqlglot's
SQL generator) and SQLite itself (at most 1,000 levels of expression) refuse.
AND and OR are associative (also with NULLs), so a long chain is regrouped into
a balanced tree of parenthesised halves: same meaning, depth log2(n). Short
chains, what people write by hand, are left exactly as written.
"""

from __future__ import annotations

from sqlglot import exp

from stripe_dbapi.sql.tree import Node

LONGEST_CHAIN_AS_WRITTEN = 32


def balance_long_chains(tree: exp.Expression) -> exp.Expression:
    """Regroup every AND / OR chain of more than LONGEST_CHAIN_AS_WRITTEN operands (in place)."""
    roots = [
        node
        for node in tree.find_all(exp.And, exp.Or)
        if type(node.parent) is not type(node)
    ]
    for root in roots:
        operands = _operands(root)
        if len(operands) > LONGEST_CHAIN_AS_WRITTEN:
            balanced = _balanced(type(root), [operand.pop() for operand in operands])
            if root is tree:
                return balanced
            root.replace(balanced)
    return tree


def _operands(root: exp.Connector) -> list[Node]:
    """The chain's operands left to right, without recursion."""
    operands: list[Node] = []
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        if type(node) is type(root):
            stack.extend((node.right, node.left))
        else:
            operands.append(node)
    return operands


def _balanced(connective: type, operands: list[Node]) -> exp.Expression:
    """Two or more ``operands`` joined by ``connective`` (And / Or) as a balanced tree."""
    middle = len(operands) // 2
    halves = [_half(connective, operands[:middle]), _half(connective, operands[middle:])]
    # Parentheses keep the halves grouped when the SQL is generated and parsed again.
    left, right = (exp.Paren(this=h) if isinstance(h, connective) else h for h in halves)
    return connective(this=left, expression=right)


def _half(connective: type, operands: list[Node]) -> Node:
    return operands[0] if len(operands) == 1 else _balanced(connective, operands)
