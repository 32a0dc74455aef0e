/** The error `fn` throws, typed for assertions on its fields; fails the test if it throws nothing. */
export function thrown<E extends Error = Error>(fn: () => unknown): E {
  try {
    fn();
  } catch (error) {
    return error as E;
  }
  throw new Error("expected an error");
}
