// TypeScript 5 standard decorators (this file is compiled without experimentalDecorators).
import { span, trace } from "../src/index.js";
import { decoratorSuite } from "./decorator-suite.js";

/** How many arguments a decorator gets in this file: 2 (value, context) standard, 3 (target, key, descriptor) legacy. */
const probed: number[] = [];
function probe(...args: unknown[]): void {
  probed.push(args.length);
}
class Probe {
  @probe
  method(): void {}
}
void Probe;

class Agent {
  constructor(readonly prefix: string) {}

  @trace()
  async answer(question: string): Promise<string> {
    return `${this.prefix}${await this.search(question)}`;
  }

  @span({ kind: "RETRIEVER" })
  async search(query: string): Promise<string> {
    return `docs for ${query}`;
  }

  @trace({ name: "fail" })
  fail(): never {
    throw new Error("nope");
  }

  @trace({ name: "static-ping", tags: ["s"] })
  static ping(n: number): number {
    return n + 1;
  }

  @span()
  orphan(x: number): number {
    return x * 2;
  }
}

decoratorSuite("TypeScript 5 standard decorators", Agent, () => probed, 2);
