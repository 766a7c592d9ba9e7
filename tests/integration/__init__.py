"""Tests of the program with the world around it: real git repositories, files, processes."""
