import { describe, expect, it } from "vitest";
import { Deque } from "../src/transport/deque.js";

describe("Deque", () => {
  it("is FIFO with unshift putting items back in front, across compactions", () => {
    const d = new Deque<number>();
    for (let i = 0; i < 5000; i++) d.push(i);
    for (let i = 0; i < 3000; i++) expect(d.shift()).toBe(i);
    d.unshift(-2, -1);
    expect(d.length).toBe(2002);
    expect(d.shift()).toBe(-2);
    expect(d.shift()).toBe(-1);
    expect(d.peek()).toBe(3000);
    d.clear();
    expect(d.shift()).toBeUndefined();
    d.unshift(1, 2);
    d.push(3);
    expect([d.shift(), d.shift(), d.shift(), d.shift()]).toEqual([1, 2, 3, undefined]);
  });

  it("starts over when drained, keeping order across pushes and unshifts", () => {
    const d = new Deque<number>();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 25; i++) d.push(i);
      for (let i = 0; i < 25; i++) expect(d.shift()).toBe(i);
      expect(d.length).toBe(0);
      expect(d.peek()).toBeUndefined();
    }
    d.pushAll([1, 2]);
    d.unshift(0);
    expect([d.shift(), d.shift(), d.shift(), d.length]).toEqual([0, 1, 2, 0]);
  });

  it("visits and removes values in place, keeping the order of the rest", () => {
    const d = new Deque<number>();
    for (let i = 0; i < 10; i++) d.push(i);
    d.shift();
    const seen: number[] = [];
    d.forEach((v) => seen.push(v));
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    d.removeAll(new Set([2, 5, 9]));
    expect(d.length).toBe(6);
    d.unshift(0);
    expect([d.shift(), d.shift(), d.shift(), d.shift()]).toEqual([0, 1, 3, 4]);
  });
});
