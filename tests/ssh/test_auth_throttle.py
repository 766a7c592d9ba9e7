"""The rate limit on wrong codes, on a clock the test turns: no waiting, no network."""

from __future__ import annotations

from sprintboard.ssh.throttle import RateLimit, Throttle, address_key


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


RATE = RateLimit(free=3, window=600.0, base=2.0, cap=30.0, addresses=5)


def test_free_failures_wait_nothing_then_each_answer_waits_twice_as_long() -> None:
    clock = Clock()
    throttle = Throttle(RATE, clock)
    waits = []
    for _ in range(9):
        waits.append(throttle.wait("192.0.2.7"))
        throttle.failed("192.0.2.7")
        clock.now += 31.0  # after the longest wait: each answer waits only its own
    assert waits[:4] == [0.0, 0.0, 0.0, 2.0]
    assert waits[4:] == [4.0, 8.0, 16.0, 30.0, 30.0]  # capped


def test_answers_from_one_address_wait_in_turn() -> None:
    clock = Clock()
    throttle = Throttle(RATE, clock)
    for _ in range(3):
        throttle.failed("192.0.2.7")
    # five connections answering at the same moment buy no more guesses than one
    assert [throttle.wait("192.0.2.7") for _ in range(3)] == [2.0, 4.0, 6.0]
    assert throttle.wait("198.51.100.1") == 0.0  # another address is not held up


def test_failures_are_forgotten_after_the_window_and_on_success() -> None:
    clock = Clock()
    throttle = Throttle(RATE, clock)
    for _ in range(3):
        throttle.failed("192.0.2.7")
    clock.now += RATE.window + 1
    assert throttle.wait("192.0.2.7") == 0.0
    for _ in range(5):
        throttle.failed("192.0.2.7")
    throttle.succeeded("192.0.2.7")
    assert throttle.wait("192.0.2.7") == 0.0
    assert len(throttle) == 0


def test_the_table_is_bounded_oldest_first() -> None:
    clock = Clock()
    throttle = Throttle(RATE, clock)
    for n in range(1000):
        throttle.failed(f"10.0.{n // 256}.{n % 256}")
        clock.now += 0.001
    assert len(throttle) == RATE.addresses
    for _ in range(3):
        throttle.failed("192.0.2.7")
    assert throttle.wait("192.0.2.7") > 0  # the newest is still remembered


def test_ipv6_counts_by_its_network() -> None:
    assert address_key("2001:db8:1:2:3:4:5:6") == address_key("2001:db8:1:2:ffff::1")
    assert address_key("2001:db8:1:2::1") != address_key("2001:db8:1:3::1")
    assert address_key("::ffff:192.0.2.7") == "192.0.2.7"
    assert address_key("fe80::1%eth0") == address_key("fe80::2")
    assert address_key("not an address") == "not an address"
