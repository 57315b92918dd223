import { InvalidArgumentError } from 'commander';

/** commander's parser of an option that takes a positive integer. */
export const positive = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
};
