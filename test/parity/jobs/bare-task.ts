import { Task } from '@bigrays/core';

@Task
class SendEmail {
  run() {
    console.log('email sent');
    return 'sent';
  }
}

void SendEmail;
