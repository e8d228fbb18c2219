"""Checks Python code blocks against the installed SDKs: each compiles, its imports import, and each call of
pulumi_limitly names a class or function the SDK has, with keyword arguments it takes. Prints one JSON list of
problems ("<file>:<line> <what>") for the files given as arguments."""
import ast
import importlib
import inspect
import json
import sys


def problems(path):
    found = []
    source = open(path, encoding="utf-8").read()
    try:
        tree = ast.parse(source, path)
        compile(tree, path, "exec")
    except SyntaxError as e:
        return [f"{path}:{e.lineno} {e.msg}"]
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                try:
                    module = importlib.import_module(a.name)
                except ImportError as e:
                    found.append(f"{path}:{node.lineno} import {a.name}: {e}")
                    continue
                aliases[a.asname or a.name] = module
    sdk = importlib.import_module("pulumi_limitly")
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        target = node.func.value
        if not (isinstance(target, ast.Name) and aliases.get(target.id) is sdk):
            continue
        name = node.func.attr
        if not hasattr(sdk, name):
            found.append(f"{path}:{node.lineno} pulumi_limitly has no {name}")
            continue
        # A resource's keyword arguments are its Args class's; a function's, its own parameters.
        args = getattr(sdk, name + "Args", None)
        params = inspect.signature(args.__init__ if args else getattr(sdk, name)).parameters
        for kw in node.keywords:
            if kw.arg is not None and kw.arg != "opts" and kw.arg not in params:
                found.append(f"{path}:{node.lineno} {name} takes no argument {kw.arg}")
    return found


print(json.dumps([p for path in sys.argv[1:] for p in problems(path)]))
