import { CancellationScope, sleep } from '@temporalio/workflow';

/**
 * One durable timer for the pathway's next deadline, left running while the deadline does not
 * come sooner. An action that keeps the deadline (or moves it later) then costs no timer commands;
 * a timer that goes off before a deadline that moved later only wakes the loop once, for nothing.
 */
export class DeadlineTimer {
  private armed?: { at: number; scope: CancellationScope };
  /** The timer went off and the loop has not handled it yet. */
  fired = false;

  arm(deadline: number | undefined, now: number): void {
    if (deadline === undefined || this.fired || (this.armed && this.armed.at <= deadline)) return;
    this.armed?.scope.cancel();
    const armed = { at: deadline, scope: new CancellationScope() };
    this.armed = armed;
    armed.scope.run(() => sleep(Math.max(1, deadline - now))).then(
      () => {
        if (this.armed !== armed) return;
        this.armed = undefined;
        this.fired = true;
      },
      // Cancelled: a sooner deadline took its place.
      () => undefined,
    );
  }

  /** True once after the timer went off. */
  take(): boolean {
    const fired = this.fired;
    this.fired = false;
    return fired;
  }
}
