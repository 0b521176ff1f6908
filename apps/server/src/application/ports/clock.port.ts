export abstract class Clock {
  abstract now(): Date;
}

export abstract class IdGenerator {
  abstract uuid(): string;
}
