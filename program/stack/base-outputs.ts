// What every experiment needs from the account: a bucket and the roles. A real account gets them
// from zerostack's base stack (or bring-your-own via config); the sandbox seeds the same values.
export interface BaseOutputs {
  bucket: string;
  executionRoleArn: string;
  schedulerRoleArn: string;
  region: string;
}
