"""Thin function views: check access, bind the form, call one service, render."""
