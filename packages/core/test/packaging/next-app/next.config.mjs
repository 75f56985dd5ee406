/** A minimal App Router app: two route handlers, built and served by the real `next` in next.test.ts. */
export default {};
